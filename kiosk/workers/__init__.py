"""kiosk.workers"""
