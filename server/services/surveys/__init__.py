"""Satisfaction surveys (群众满意度): one package, one module per concern.

definitions.py  satisfaction levels, the versioned 满意率 definitions, the city-wide template
lifecycle.py    create, edit, publish (residents are told via the outbox), close; who sees what
answering.py    one validated answer per resident or household; 代填 by committee staff
privacy.py      the mix that keeps ballots unlinkable from participations on PostgreSQL
stats.py        Wilson intervals and small-cell suppression (pure functions)
results.py      the results a survey shows, from GROUP BY queries
scoring.py      satisfaction per community, area and indicator, for the scoring service
export.py       XLSX/CSV exports produced by a job on the `exports` queue
"""
