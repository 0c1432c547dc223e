from server.jobs import job
from server.services.surveys import announce as announcing
from server.services.surveys import export as exporting
from server.services.surveys import privacy


@job("notify")
def announce(survey_id):
    """Tell the audience's residents that a survey is open (once each)."""
    return announcing.announce(survey_id)


@job("exports")
def export(export_id):
    """Build one XLSX/CSV export, recording its progress."""
    return exporting.run(export_id)


@job("default")
def mix_due():
    """Shuffle the ballots of surveys that received new ones (periodic; see privacy.py)."""
    return privacy.mix_due()
