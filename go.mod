module github.com/exportwatch/exportwatch

go 1.26

require (
	github.com/joho/godotenv v1.5.1 // indirect
	github.com/neo4j/neo4j-go-driver/v5 v5.28.4 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
