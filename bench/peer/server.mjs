// The peer the API is measured against (bench/peerbench): @neo4j/graphql
// over the type definitions beside this file, served by Apollo Server's
// standalone HTTP server on a loopback port, against the Neo4j at the Bolt
// URI given as the first argument (or NEO4J_URI). PORT picks the port
// (default: any free one). When it is ready it prints one line,
// "listening URL", which the benchmark waits for; SIGTERM stops it.
import { readFile } from "node:fs/promises";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const uri = process.argv[2] ?? process.env.NEO4J_URI;
if (!uri) {
  console.error("usage: node server.mjs BOLT_URI (or NEO4J_URI=BOLT_URI)");
  process.exit(2);
}

// The bundled Neo4j runs without authentication; a user and password in
// the environment are for one that does not.
const auth = process.env.NEO4J_USER
  ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? "")
  : neo4j.auth.none();
const driver = neo4j.driver(uri, auth);

try {
  await driver.verifyConnectivity();
  const typeDefs = await readFile(new URL("./typeDefs.graphql", import.meta.url), "utf8");
  const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 0) },
  });
  const stop = async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  console.log(`listening ${url}`);
} catch (err) {
  console.error(`peer: ${err.stack ?? err}`);
  await driver.close();
  process.exit(1);
}
