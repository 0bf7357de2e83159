"""kiosk.ui"""
