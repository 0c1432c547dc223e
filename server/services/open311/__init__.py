"""Open311 GeoReport v2: the interchange with the 12345 hotline and district 数字城管 systems.

keys.py       partner systems and their API keys (issued by the city office, stored hashed)
georeport.py  our categories as services, our reports as service requests (what a partner
              may see of them), the status mapping, listing with the spec's filters, filing
See docs/open311.md.
"""
