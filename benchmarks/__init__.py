"""`make bench`: what the portal costs (CRM calls, logins, upstream calls, queries, throughput) and
an outage drill proving it loses nothing, measured on this machine in one run.

One module per part (crm_calls, crowd, address, http_load, growth, outage); environment.py makes
the run's database and settings and runs gunicorn and the task worker; report.py prints the table
and writes results.json. See __main__.py.
"""
