"""gov-kiosk: a touch kiosk for 24-hour government self-service terminals."""

__version__ = "0.1.0"
