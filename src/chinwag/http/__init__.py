"""The Rocket.Chat REST adapter: envelope, auth, serializers and the /api/v1 sections."""
