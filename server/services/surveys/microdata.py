"""Record-level answers for the city office, k-anonymous before they are written.

Committees and streets get no record-level export: a row per ballot of a small community is
that household's answers. The city office may need microdata for its own analysis; it gets
rows that are k-anonymous (k = MIN_CELL) over every column that could single a household
out - the community and each choice answer (ballots carry no building, day or 代填 mark): rows
whose combination is shared by fewer than k rows have choice answers, then the community,
replaced by "*", and rows that still stand out are left out. `check` verifies the whole table
before anything is written; a failure writes no file.
"""
from collections import Counter

from server.extensions import db
from server.models import SurveyAnswer, SurveyBallot
from server.services.surveys import definitions, lifecycle
from server.services.surveys.stats import MIN_CELL

HIDDEN = "*"


class NotAnonymous(Exception):
    """The table is not k-anonymous: the export fails and nothing is written."""


def rows(survey, community_ids, names, k=MIN_CELL):
    """(header, rows) with the quasi-identifying columns first: community, then each choice
    question; then each satisfaction question's level."""
    choice_qs = [q for q in survey.questions if q.kind in lifecycle.CHOICE_KINDS]
    level_qs = [q for q in survey.questions if q.kind == "satisfaction"]
    labels = {q.id: {o["value"]: o["label"] for o in q.options} for q in choice_qs}
    ballots = db.session.execute(
        db.select(SurveyBallot.id, SurveyBallot.community_id, SurveyBallot.straight_line)
        .where(SurveyBallot.survey_id == survey.id,
               SurveyBallot.community_id.in_(list(community_ids)))
        .order_by(SurveyBallot.id)).all()
    answers = {}
    for ballot_id, question_id, level, choice in db.session.execute(
            db.select(SurveyAnswer.ballot_id, SurveyAnswer.question_id, SurveyAnswer.level,
                      SurveyAnswer.choice)
            .where(SurveyAnswer.survey_id == survey.id).order_by(SurveyAnswer.seq)):
        text = definitions.LEVELS[level] if level is not None else labels.get(
            question_id, {}).get(choice, choice)
        answers.setdefault((ballot_id, question_id), []).append(text)
    table = [[names.get(community_id, ""),
              *["、".join(answers.get((ballot_id, q.id), [])) for q in choice_qs],
              "是" if flagged else "",
              *["、".join(answers.get((ballot_id, q.id), [])) for q in level_qs]]
             for ballot_id, community_id, flagged in ballots]
    width = 1 + len(choice_qs)
    table = anonymise(table, width, k)
    check(table, width, k)
    header = ["小区", *[f"{q.key} {q.text}" for q in choice_qs], "答案完全一致",
              *[f"{q.key} {q.text}" for q in level_qs]]
    return header, table


def _classes(table, width):
    return Counter(tuple(row[:width]) for row in table)


def anonymise(table, width, k):
    """Generalise the first `width` columns until every combination is shared by k rows:
    choice columns first (most varied first), the community last; drop what still stands out."""
    order = sorted(range(1, width), key=lambda i: -len({row[i] for row in table})) + [0]
    for column in order:
        sizes = _classes(table, width)
        small = [row for row in table if sizes[tuple(row[:width])] < k]
        if not small:
            return table
        for row in small:
            row[column] = HIDDEN
    sizes = _classes(table, width)
    return [row for row in table if sizes[tuple(row[:width])] >= k]


def check(table, width, k):
    """Refuse to go on unless every combination of quasi-identifiers has at least k rows."""
    smallest = min(_classes(table, width).values(), default=k)
    if smallest < k:
        raise NotAnonymous(f"smallest group {smallest} < k = {k}")
