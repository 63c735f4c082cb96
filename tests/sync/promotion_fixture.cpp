// The promotion fixture: fresh dev and prod databases per test on the suite's shared cluster.
#include "promotion_fixture.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {

std::vector<std::string> sql(const std::string& url, const std::string& statement) {
  PGconn* conn = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, statement.c_str());
  const auto status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
      << statement << ": " << PQresultErrorMessage(result);
  std::vector<std::string> values;
  for (int row = 0; status == PGRES_TUPLES_OK && row < PQntuples(result); ++row) {
    values.emplace_back(PQgetvalue(result, row, 0));
  }
  PQclear(result);
  PQfinish(conn);
  return values;
}

std::string one(const std::string& url, const std::string& statement) {
  const auto values = sql(url, statement);
  return values.empty() ? std::string("<no row>") : values.front();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string data_dump(const std::string& url, Sequences sequences) {
  const ProcessResult dump =
      run_process({std::string(PMC_PG_BINDIR) + "/pg_dump", "--data-only", "--dbname", url},
                  clean_environment());
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  std::istringstream lines(dump.out);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    if (sequences == Sequences::LeftOut && line.rfind("SELECT pg_catalog.setval(", 0) == 0)
      continue;
    kept += line + '\n';
  }
  return kept;
}

void Promotion::SetUp() {
  ThrowawayCluster& cluster = ThrowawayCluster::shared();
  dev_ = cluster.fresh_database("sync_dev");
  prod_ = cluster.fresh_database("sync_prod");
  const std::string schema =
      read_file(std::string(PMC_SOURCE_DIR) + "/fixtures/reference-data/schema.sql");
  sql(dev_, schema);
  sql(prod_, schema);
  // The test process writes the fingerprints itself; it may claim to be CI.
  setenv("CI", "true", 1);
  const guard::CiPass pass = guard::enforce_ci_only_execution();
  for (const auto& [url, environment] : {std::pair{dev_, "dev"}, std::pair{prod_, "prod"}}) {
    db::ConnectOptions options;
    options.url = url;
    options.application_name = "sync-test";
    options.expected_environment = environment;
    db::connect_for_fingerprint_init(options, pass).write_first(environment);
  }
}

Environment Promotion::sync_environment(bool in_ci) const {
  Environment environment = clean_environment();
  if (in_ci) environment["CI"] = "true";
  environment["DEV_DATABASE_URL"] = dev_;
  environment["PROD_DATABASE_URL"] = prod_;
  return environment;
}

ProcessResult Promotion::sync(std::vector<std::string> arguments, const std::string& input,
                              bool in_ci) {
  arguments.insert(arguments.begin(), pmc_binary("pmc-sync-reference-data"));
  return run_process(arguments, sync_environment(in_ci), input);
}

void Promotion::seed_example() {
  sql(dev_,
      "INSERT INTO service_categories (name, description, icon) VALUES "
      "('Home', 'Inside', 'house'), ('Garden', 'Outside', 'tree');"
      "INSERT INTO services (name, description, \"categoryId\", \"basePrice\", \"isActive\") "
      "VALUES ('Cleaning', 'Clean', 1, 10.00, false), ('Mowing', 'Mow', 2, 20.00, true),"
      "('Weeding', 'Weed', 1, 5.00, true), ('Booked', 'B', 1, 50.00, true),"
      "('Provided', 'P', 1, 60.00, true)");
  // Prod's ids differ from dev's: Garden is 1 here, Home does not exist yet. Weeding has the
  // same categoryId (1) on both sides, but it names Garden here and Home in dev: only mapping
  // by name sees that it moved.
  sql(prod_,
      "INSERT INTO service_categories (name, description, icon) VALUES "
      "('Garden', 'Outside', 'tree'), ('Prod only category', NULL, NULL);"
      "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
      "('Mowing', 'Mow', 1, 15.00), ('Booked', 'B', 1, 40.00), ('Provided', 'P', 1, 30.00),"
      "('Prod only', 'kept', 2, 1.00), ('Weeding', 'Weed', 1, 5.00);"
      "INSERT INTO bookings (\"serviceId\", customer) VALUES (2, 'Ann');"
      "INSERT INTO providers (name) VALUES ('Bob');"
      "INSERT INTO provider_services (\"providerId\", \"serviceId\") VALUES (1, 3)");
}

}  // namespace pmc::test
