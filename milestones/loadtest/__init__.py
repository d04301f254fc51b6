"""The load test (``manage.py load_test``): simulated users of every role against gunicorn, as browsers send.

- ``client.py``: one user's browser (cookies, gzip, the forms' hidden fields, multipart uploads), timing
  every request; the static files a page links to.
- ``journeys.py``: who signs in and which pages each role clicks through (read from the database), the
  officers' update submissions, and the exactly-once count of what they stored.
- ``stats.py``: percentiles, the per-page table and the JSON summary.
- ``server.py``: gunicorn on a free port of 127.0.0.1 with the production settings, started and stopped.
"""
