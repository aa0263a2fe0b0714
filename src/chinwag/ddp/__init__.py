"""The Meteor DDP adapter: a sans-I/O session, the WebSocket server, methods and streams."""
