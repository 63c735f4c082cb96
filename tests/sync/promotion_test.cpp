// pmc-sync-reference-data against real dev and prod databases, as a real subprocess: what the
// plan says, what the apply writes, what it never touches, and that a second run plans nothing.
#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "promotion_fixture.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// Every row of the reference tables as prod or dev stores it, with categories by name.
constexpr char kServicesByName[] =
    "SELECT string_agg(format('%s|%s|%s|%s|%s', s.name, s.description, c.name, s.\"basePrice\", "
    "s.\"isActive\"), E'\\n' ORDER BY s.name) FROM services s JOIN service_categories c "
    "ON c.id = s.\"categoryId\"";
constexpr char kCategoriesByName[] =
    "SELECT string_agg(format('%s|%s|%s|%s', name, description, icon, \"isActive\"), E'\\n' "
    "ORDER BY name) FROM service_categories";

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> documents;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '{') documents.push_back(nlohmann::json::parse(line));
  }
  return documents;
}

const nlohmann::json& table_of(const nlohmann::json& plan, const std::string& name) {
  for (const nlohmann::json& table : plan["tables"]) {
    if (table["table"] == name) return table;
  }
  throw std::runtime_error("no table " + name + " in the plan");
}

std::vector<std::string> keys(const nlohmann::json& rows) {
  std::vector<std::string> out;
  for (const nlohmann::json& row : rows) out.push_back(row["key"]);
  return out;
}

TEST_F(Promotion, PlansCreatesUpdatesOldToNewProtectedRowsAndMapsCategoriesByName) {
  seed_example();
  const ProcessResult dry = sync({"--format", "json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  const nlohmann::json plan = nlohmann::json::parse(dry.out);
  EXPECT_EQ(plan["stage"], "dry-run");
  const nlohmann::json& categories = table_of(plan, "service_categories");
  EXPECT_EQ(keys(categories["create"]), std::vector<std::string>{"Home"});
  EXPECT_EQ(categories["unchanged"], nlohmann::json::array({"Garden"}));
  EXPECT_EQ(categories["prod_only"], nlohmann::json::array({"Prod only category"}));

  const nlohmann::json& services = table_of(plan, "services");
  EXPECT_EQ(keys(services["create"]), std::vector<std::string>{"Cleaning"});
  EXPECT_EQ(services["create"][0]["values"]["categoryId"], "Home");
  EXPECT_EQ(keys(services["update"]), (std::vector<std::string>{"Mowing", "Weeding"}));
  // Mowing's category has other ids on each side (2 in dev, 1 in prod) but the same name: only
  // the price changes. Weeding has the same id on each side but another category: it moves.
  EXPECT_EQ(services["update"][0]["changes"],
            nlohmann::json::parse(R"([{"column":"basePrice","old":"15.00","new":"20.00"}])"));
  EXPECT_EQ(services["update"][1]["changes"],
            nlohmann::json::parse(R"([{"column":"categoryId","old":"Garden","new":"Home"}])"));
  ASSERT_EQ(keys(services["protected"]), (std::vector<std::string>{"Booked", "Provided"}));
  EXPECT_EQ(services["protected"][0]["reasons"],
            nlohmann::json::array({"referenced by 1 row(s) of bookings.serviceId"}));
  EXPECT_EQ(services["protected"][1]["reasons"],
            nlohmann::json::array({"referenced by 1 row(s) of provider_services.serviceId"}));
  EXPECT_EQ(services["prod_only"], nlohmann::json::array({"Prod only"}));
  EXPECT_EQ(plan["summary"]["create"], 2);
  EXPECT_EQ(plan["summary"]["update"], 2);
  EXPECT_EQ(plan["summary"]["protected"], 2);

  // The same plan for people: one line per row, old -> new per column.
  const ProcessResult text = sync({});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("  update     \"Mowing\"  basePrice: \"15.00\" -> \"20.00\"\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  update     \"Weeding\"  categoryId: \"Garden\" -> \"Home\"\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  create     \"Cleaning\"  name=\"Cleaning\", description=\"Clean\", "
                          "categoryId=\"Home\", basePrice=\"10.00\", isActive=\"false\"\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  protected  \"Booked\"  skipped, referenced by 1 row(s) of "
                          "bookings.serviceId; would change categoryId: \"Garden\" -> \"Home\"; "
                          "basePrice: \"40.00\" -> \"50.00\"\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Plan: 2 to create, 2 to update, 2 protected (skipped), 1 unchanged; "
                          "nothing is ever deleted.\n"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "5");  // dry runs write nothing
}

TEST_F(Promotion, AppliesThePlanAndASecondRunPlansNothingAndChangesNoByte) {
  seed_example();
  const std::string ids_before =
      one(prod_, "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM services");
  const ProcessResult applied = sync({"--apply"}, "YES\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  EXPECT_NE(applied.out.find("Applied in one transaction: 2 created, 2 updated, 2 protected"),
            std::string::npos)
      << applied.out;

  // Everything dev has arrived as dev has it, except what bookings and providers protect.
  EXPECT_EQ(one(prod_, kServicesByName),
            "Booked|B|Garden|40.00|t\n"
            "Cleaning|Clean|Home|10.00|f\n"
            "Mowing|Mow|Garden|20.00|t\n"
            "Prod only|kept|Prod only category|1.00|t\n"
            "Provided|P|Garden|30.00|t\n"
            "Weeding|Weed|Home|5.00|t");
  EXPECT_EQ(one(prod_, kCategoriesByName),
            "Garden|Outside|tree|t\nHome|Inside|house|t\nProd only category|||t");
  // Prod's rows keep their ids; nothing was deleted and re-inserted.
  EXPECT_EQ(one(prod_,
                "SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM services "
                "WHERE id <= 5"),
            ids_before);
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM bookings"), "1");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM provider_services"), "1");

  // A second run plans nothing, asks nothing, and leaves every byte of prod's data as it was.
  const std::string before = data_dump(prod_);
  const ProcessResult again = sync({"--apply", "--format", "json"});  // no YES needed
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json plan = nlohmann::json::parse(again.out);
  EXPECT_EQ(plan["stage"], "preview");
  EXPECT_EQ(plan["summary"]["create"], 0);
  EXPECT_EQ(plan["summary"]["update"], 0);
  EXPECT_EQ(plan["summary"]["protected"], 2);
  EXPECT_EQ(plan["summary"]["writes_anything"], false);
  EXPECT_EQ(again.err.find("Type YES"), std::string::npos) << again.err;
  EXPECT_EQ(data_dump(prod_), before);
}

// Statement-level triggers fire even when no row matches, and the event trigger on every DDL
// command: any DELETE, TRUNCATE, DROP (or other DDL) the sync sent would abort it.
TEST_F(Promotion, NeverDeletesTruncatesOrDrops) {
  seed_example();
  std::string guards =
      "CREATE FUNCTION refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "RAISE EXCEPTION 'test: % on %', TG_OP, TG_TABLE_NAME; END $$;"
      "CREATE FUNCTION refuse_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
      "RAISE EXCEPTION 'test: %', tg_tag; END $$;";
  for (const char* table : {"service_categories", "services", "bookings", "providers",
                            "provider_services", "database_metadata"}) {
    guards += std::string("CREATE TRIGGER no_removal BEFORE DELETE OR TRUNCATE ON ") + table +
              " FOR EACH STATEMENT EXECUTE FUNCTION refuse_removal();";
  }
  guards += "CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION refuse_ddl();";
  sql(prod_, guards);

  const ProcessResult applied = sync({"--apply"}, "YES\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "6");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM service_categories"), "3");
  EXPECT_EQ(one(prod_, "SELECT description FROM services WHERE name = 'Prod only'"), "kept");

  // The guards were live: a delete that matches nothing, and a drop, are refused.
  PGconn* conn = PQconnectdb(prod_.c_str());
  for (const char* statement : {"DELETE FROM services WHERE false", "DROP TABLE bookings"}) {
    PGresult* result = PQexec(conn, statement);
    EXPECT_EQ(PQresultStatus(result), PGRES_FATAL_ERROR) << statement;
    EXPECT_NE(std::string(PQresultErrorMessage(result)).find("test: "), std::string::npos);
    PQclear(result);
  }
  PQfinish(conn);
}

TEST_F(Promotion, OneTransactionAFailureInTheLastTableUndoesTheFirst) {
  seed_example();
  // Prod refuses one of dev's services (a constraint dev does not have), after the categories
  // were written in the same transaction.
  sql(prod_, "ALTER TABLE services ADD CONSTRAINT affordable CHECK (\"basePrice\" < 1000)");
  sql(dev_,
      "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
      "('Castle', 'Build one', 1, 5000.00)");
  const std::string before = data_dump(prod_, Sequences::LeftOut);
  const ProcessResult failed = sync({"--apply"}, "YES\n");
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  EXPECT_NE(failed.err.find("affordable"), std::string::npos) << failed.err;
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM service_categories WHERE name = 'Home'"), "0");
  EXPECT_EQ(data_dump(prod_, Sequences::LeftOut), before);
}

// The plan applied is the one computed inside the transaction: a service booked after the
// preview (while the program waits for YES) is protected, not overwritten.
TEST_F(Promotion, ProdChangedAfterThePreviewIsPlannedAgainInsideTheTransaction) {
  seed_example();
  static int runs = 0;
  const std::string fifo =
      ThrowawayCluster::shared().dir().string() + "/confirmation-" + std::to_string(++runs);
  const std::string log = fifo + ".log";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Read-write: opening does not wait for the reader, and the reader sees no end of input.
  const int answer = open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(answer, 0);
  const int pid = spawn_detached({"/bin/sh", "-c", "exec \"$0\" --apply --format json < \"$1\"",
                                  pmc_binary("pmc-sync-reference-data"), fifo},
                                 sync_environment(), log);
  bool asked = false;
  for (int i = 0; i < 300 && !asked; ++i) {
    asked = read_file(log).find("Type YES") != std::string::npos;
    if (!asked) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(asked) << read_file(log);
  sql(prod_,
      "INSERT INTO bookings (\"serviceId\", customer) "
      "SELECT id, 'Late' FROM services WHERE name = 'Mowing'");
  EXPECT_EQ(write(answer, "YES\n", 4), 4);
  close(answer);
  int status = 0;
  waitpid(pid, &status, 0);
  unlink(fifo.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(log);

  const std::vector<nlohmann::json> plans = json_lines(read_file(log));
  ASSERT_EQ(plans.size(), 2u) << read_file(log);
  EXPECT_EQ(plans[0]["stage"], "preview");
  EXPECT_EQ(keys(table_of(plans[0], "services")["update"]),
            (std::vector<std::string>{"Mowing", "Weeding"}));
  EXPECT_EQ(plans[1]["stage"], "applied");
  EXPECT_EQ(keys(table_of(plans[1], "services")["update"]), std::vector<std::string>{"Weeding"});
  EXPECT_EQ(keys(table_of(plans[1], "services")["protected"]),
            (std::vector<std::string>{"Booked", "Mowing", "Provided"}));
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Mowing'"), "15.00");
  EXPECT_EQ(one(prod_,
                "SELECT c.name FROM services s JOIN service_categories c "
                "ON c.id = s.\"categoryId\" WHERE s.name = 'Weeding'"),
            "Home");
}

TEST_F(Promotion, NamesWithQuotesSemicolonsBackslashesAndNonAsciiRoundTrip) {
  // Also the bytes COPY's text format gives meaning to: tab, newline, carriage return,
  // backslash, and a value that is exactly backslash-period (COPY's old end-of-data marker).
  sql(dev_,
      "INSERT INTO service_categories (name, description, icon) VALUES "
      "(E'O''Brien\\'s \"quoted\"; DROP TABLE services; --', E'line\\nbreak\\r\\n', E'\\\\'),"
      "('Ünïcødé 日本 🚀', '{\"a\",NULL}', 'NULL');"
      "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
      "(E'back\\\\slash \\\\\" ); DELETE FROM services; --', NULL, 1, 1.50),"
      "('Ünïcødé service ß', E'tab\\there', 2, 2.25),"
      "(E'\\\\.', E'\\\\.', 2, 3.00),"
      "(E'\\\\N', '', 1, 4.00)");
  const ProcessResult applied = sync({"--apply"}, "YES\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  const std::string rows =
      "SELECT string_agg(format('%s|%s|%s|%s|%s|%s', s.name, coalesce(s.description, '<null>'), "
      "c.name, c.description, c.icon, s.description IS NULL), E'\\n' ORDER BY s.name) "
      "FROM services s JOIN service_categories c ON c.id = s.\"categoryId\"";
  EXPECT_EQ(one(prod_, rows), one(dev_, rows));
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "4");
  EXPECT_EQ(one(prod_, "SELECT description FROM services WHERE name = E'\\\\N'"), "");
  const ProcessResult again = sync({"--format", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["summary"]["writes_anything"], false) << again.out;
  // The odd values also survive an update (UPDATE … FROM unnest of text[] parameters).
  sql(prod_, "UPDATE services SET description = 'changed in prod'");
  ASSERT_EQ(sync({"--apply"}, "YES\n").exit_code, 0);
  EXPECT_EQ(one(prod_, rows), one(dev_, rows));
}

}  // namespace
}  // namespace pmc::test
