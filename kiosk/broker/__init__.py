"""kiosk.broker"""
