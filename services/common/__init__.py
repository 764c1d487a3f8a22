"""Infrastructure shared by the three services: settings, database, logging, auth, gRPC."""
