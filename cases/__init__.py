"""Cases, persons, identifiers, deconfliction, Safe Harbor, victim services, restitution, tips, retention."""
