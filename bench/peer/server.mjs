// @neo4j/graphql over the benchmark's Neo4j, the peer that bench/reads.py measures Sett against.
// The access rule is the closest @neo4j/graphql can express of Sett's: a case is visible to the JWT's agency
// when that agency owns it or sits on its team. Sharing agreements (validity, coverage by label or name),
// victim-services redaction and dissemination records have no counterpart here.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const { NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, PEER_PORT, PEER_JWT_SECRET } = process.env;

const typeDefs = `#graphql
  type JWT @jwt {
    agency: String!
  }

  type Agency @node {
    id: ID!
    name: String!
  }

  type Case
    @node
    @authorization(
      filter: [
        { where: { node: { ownerAgencyId: { eq: "$jwt.agency" } } } }
        { where: { node: { team: { some: { id: { eq: "$jwt.agency" } } } } } }
      ]
    ) {
    id: ID!
    ownerAgencyId: String!
    agencyCaseNumber: String!
    title: String!
    status: String!
    labels: [String!]!
    team: [Agency!]! @relationship(type: "MEMBER_OF", direction: IN)
  }
`;

const driver = neo4j.driver(NEO4J_URI, neo4j.auth.basic(NEO4J_USERNAME, NEO4J_PASSWORD));
const neoSchema = new Neo4jGraphQL({ typeDefs, driver, features: { authorization: { key: PEER_JWT_SECRET } } });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(PEER_PORT), host: "127.0.0.1" },
  context: async ({ req }) => ({ token: req.headers.authorization }),
});
console.log(`peer ready at ${url}`);
