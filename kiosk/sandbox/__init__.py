"""kiosk.sandbox"""
