"""Console views, one module per area; importing them registers their routes."""
from server.console.views import (auth, households, memberships, overview,  # noqa: F401
                                  framework, notifications, rectifications, reports,
                                  surveys)
