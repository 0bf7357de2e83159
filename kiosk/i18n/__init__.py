"""kiosk.i18n"""
