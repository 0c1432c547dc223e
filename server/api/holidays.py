"""Public holidays per year: the city office loads the State Council's schedule."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.holiday import HolidayArgs, HolidayYearIn, HolidayYearOut, HolidayYearPage
from server.services import clock, holidays

blp = Blueprint("holidays", __name__, url_prefix="/api/v1/holidays",
                description="节假日安排（国务院每年公布，市级载入）：工作日期限据此计算")


@blp.route("", methods=["GET"])
@blp.arguments(HolidayArgs, location="query")
@blp.response(200, HolidayYearPage)
@authenticated(blp, 403, 422)
@requires("staff")
def list_years(args, actor):
    """Loaded years plus this year and next, newest first, with where each year's days
    come from."""
    return holidays.years(args["page"], args["per_page"], clock.today().year)


@blp.route("/<int:year>", methods=["PUT"])
@blp.arguments(HolidayYearIn)
@blp.response(200, HolidayYearOut)
@authenticated(blp, 400, 403, 409, 415, 422)
@requires("staff", roles=("city",))
def load_year(body, year, actor):
    """Load (or replace) one year's holidays and make-up working days (city office only).
    Validated whole: any error is a 422 listing every reason, and nothing changes."""
    return holidays.item_for(holidays.load(actor, body, year=year))
