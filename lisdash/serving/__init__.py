"""Serving a crowd: app processes behind HAProxy run by supervisord (deploy), their start (appserver) and control
(supervise, cli)."""
