"""Camera and microphone sources and the recorder. No Qt here."""
