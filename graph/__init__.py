"""Everything that talks to Neo4j: the driver, migrations, repositories and the local runtime."""
