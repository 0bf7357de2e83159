"""kiosk: assisted identity capture for branch offices, talking to the eKYC broker."""

__version__ = "0.1.0"
