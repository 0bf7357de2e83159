"""kiosk.quality"""
