"""Problem reports (群众监督) and their supervision (督查整改).

categories.py   the category list as data (server/data/report_categories.json), seeded idempotently
access.py       who sees which report (residents: their own and their community's public ones)
filing.py       filing, similar open reports, "me too", lists, the public board
workflow.py     the state machine: its table of allowed moves, staff actions, the reporter's rating,
                the 7-day auto-close
timeline.py     the append-only timeline and the notifications each change sends
sla.py          working-day deadlines (provisional without holiday data), extensions, the SLA scan
figures.py      per-community figures with their definitions (set-based SQL); used by scoring
supervision.py  the street's and district's overview
demo.py         categories and a few reports for `flask seed-demo`
"""
