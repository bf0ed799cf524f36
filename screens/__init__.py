"""Qt widgets only: thin views over kiosk.app.KioskCore. Qt is imported through screens.qt."""
