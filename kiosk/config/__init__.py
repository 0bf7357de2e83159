"""kiosk.config"""
