"""Field inspections (实地考察) by volunteer supervisors (see server/models/inspection.py).

volunteers.py   residents volunteer, their committee approves or rejects
sampling.py     the seeded draw of points, reproducible from the stored seed and population
checklists.py   the street draws a checklist; the volunteer grades each point with a photo
The volunteers' grades reach the evaluation through server/services/scoring/volunteer_source.py.
"""
