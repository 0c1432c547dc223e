"""Residents' rights under the PIPL (个人信息保护法): what is held about a resident
(held.py), deleting their account (erasure.py), and how long each kind of record is kept
(retention.py, enforced by the daily `retention.enforce` job). docs/privacy.md has the why."""
