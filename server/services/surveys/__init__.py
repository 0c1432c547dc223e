"""Satisfaction surveys (群众满意度): one package, one module per concern.

definitions.py  satisfaction levels, the versioned 满意率 definitions, the city-wide template
lifecycle.py    create, edit, publish (residents are told via the outbox), close; who sees what
answering.py    one validated answer per resident or household, timed by the server; 代填
privacy.py      the mix that keeps ballots unlinkable from participations on PostgreSQL
aggregates.py   a survey's raw counts per community, from GROUP BY queries
releases.py     which counts results are computed from (the survey's release)
stats.py        intervals (Wilson, respondent-clustered) and suppression (pure functions)
results.py      the one disclosure rule: what any role or resident may learn
scoring.py      satisfaction per community, area and indicator, for the scoring service
export.py       XLSX/CSV exports produced by a job on the `exports` queue
microdata.py    k-anonymous record-level rows for the city office
"""
