// Starts GraphiQL on the page at /graphiql, against this server's API.
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const defaultQuery = `# exportwatch: who supplied whom, with the evidence for every link.
# Try: the suppliers of Azerbaijan, and the quote behind each transfer.
{
  suppliers(of: "AZ") {
    from { name }
    to { name }
    status
    contested
    claims {
      summary
      evidence { quote paraphrase document { publisher title url published } }
    }
  }
}
`;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: false }));
