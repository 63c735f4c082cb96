// plan_reference_sync and the SQL builder alone: the rules of promotion without a database.
#include "pmc/sync/plan.hpp"

#include <gtest/gtest.h>

#include "pmc/contract.hpp"
#include "pmc/error.hpp"
#include "pmc/sync/array_literal.hpp"
#include "pmc/sync/reference_tables.hpp"
#include "pmc/sync/sql_builder.hpp"

namespace pmc::sync {
namespace {

const std::vector<std::string> kServiceColumns = {"name", "description", "categoryId", "basePrice",
                                                  "isActive"};

SnapshotRow service(std::string id, std::string name, Value category, Value price) {
  return {std::move(id), name, {name, "text", std::move(category), std::move(price), "true"}};
}

Snapshot services(std::vector<SnapshotRow> rows,
                  std::map<std::string, std::vector<std::string>> protected_ids = {}) {
  return {{TableSnapshot{"services", kServiceColumns, std::move(rows), std::move(protected_ids)}}};
}

TEST(PlanReferenceSync, CreatesUpdatesKeepsAndLeavesProdOnlyRowsAlone) {
  const Snapshot dev = services({service("1", "Cleaning", "Home", "10.00"),
                                 service("2", "Gardening", "Outdoor", "20.00"),
                                 service("3", "Painting", "Home", "30.00")});
  const Snapshot prod = services({service("70", "Gardening", "Outdoor", "25.00"),
                                  service("71", "Painting", "Home", "30.00"),
                                  service("72", "Prod only", "Home", "1.00")});
  const Plan plan = plan_reference_sync(dev, prod);
  const TablePlan& table = plan.tables.at(0);
  ASSERT_EQ(table.creates.size(), 1u);
  EXPECT_EQ(table.creates[0].key, "Cleaning");
  ASSERT_EQ(table.updates.size(), 1u);
  EXPECT_EQ(table.updates[0].key, "Gardening");
  EXPECT_EQ(table.updates[0].id, "70");
  ASSERT_EQ(table.updates[0].changes.size(), 1u);
  EXPECT_EQ(table.updates[0].changes[0].column, "basePrice");
  EXPECT_EQ(table.updates[0].changes[0].before, Value("25.00"));
  EXPECT_EQ(table.updates[0].changes[0].after, Value("20.00"));
  EXPECT_EQ(table.unchanged, std::vector<std::string>{"Painting"});
  EXPECT_EQ(table.prod_only, std::vector<std::string>{"Prod only"});
  EXPECT_TRUE(plan.writes_anything());
}

TEST(PlanReferenceSync, CategoriesCompareByNameNotId) {
  // The category is a name on both sides: different ids in each database do not matter.
  const Plan plan = plan_reference_sync(services({service("1", "Cleaning", "Home", "1")}),
                                        services({service("9", "Cleaning", "Home", "1")}));
  EXPECT_FALSE(plan.writes_anything());
  const Plan moved = plan_reference_sync(services({service("1", "Cleaning", "Garden", "1")}),
                                         services({service("9", "Cleaning", "Home", "1")}));
  ASSERT_EQ(moved.updates(), 1u);
  EXPECT_EQ(moved.tables[0].updates[0].changes[0].column, "categoryId");
}

TEST(PlanReferenceSync, ProtectedRowsAreSkippedWithTheReason) {
  const Plan plan = plan_reference_sync(
      services({service("1", "Booked", "Home", "99.00"), service("2", "Same", "Home", "1.00")}),
      services({service("50", "Booked", "Home", "10.00"), service("51", "Same", "Home", "1.00")},
               {{"50", {"referenced by 2 row(s) of bookings.serviceId"}},
                {"51", {"referenced by 1 row(s) of bookings.serviceId"}}}));
  EXPECT_EQ(plan.updates(), 0u);
  ASSERT_EQ(plan.protected_rows(), 1u);
  EXPECT_EQ(plan.tables[0].protected_rows[0].key, "Booked");
  EXPECT_EQ(plan.tables[0].protected_rows[0].reasons[0],
            "referenced by 2 row(s) of bookings.serviceId");
  EXPECT_EQ(plan.tables[0].unchanged, std::vector<std::string>{"Same"});
  EXPECT_FALSE(plan.writes_anything());
}

TEST(PlanReferenceSync, NullsAreValuesToCompare) {
  const Plan plan = plan_reference_sync(services({service("1", "A", std::nullopt, "1")}),
                                        services({service("2", "A", "Home", "1")}));
  ASSERT_EQ(plan.updates(), 1u);
  EXPECT_EQ(plan.tables[0].updates[0].changes[0].after, std::nullopt);
}

TEST(PlanReferenceSync, DuplicateNaturalKeyIsRefused) {
  try {
    plan_reference_sync(services({service("1", "A", "Home", "1"), service("2", "A", "Home", "2")}),
                        services({}));
    FAIL() << "expected a failure";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-5004");
  }
}

TEST(ReferenceTables, EmbeddedContractWritesCategoriesBeforeServices) {
  const auto tables = tables_in_write_order(contract::embedded());
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].table, "service_categories");
  EXPECT_EQ(tables[1].table, "services");
}

TEST(TextArrayLiteral, QuotesEveryElementAndEscapes) {
  EXPECT_EQ(text_array_literal({"a", std::nullopt, "NULL", "x\"y\\z", "{,}", ""}),
            R"({"a",NULL,"NULL","x\"y\\z","{,}",""})");
  EXPECT_EQ(text_array_literal({}), "{}");
}

std::string quote(std::string_view name) { return "\"" + std::string(name) + "\""; }

contract::ReferenceTable embedded_services() {
  return *contract::embedded().find_reference_table("services");
}

TEST(ReferenceSqlBuilder, BuildsSetBasedStatementsFromAllowlistedNames) {
  const ReferenceSqlBuilder sql(quote);
  const ColumnTypes types = {{"id", "integer"},
                             {"name", "text"},
                             {"description", "text"},
                             {"categoryId", "integer"},
                             {"basePrice", "numeric(10,2)"},
                             {"isActive", "boolean"}};
  const std::string copy = sql.copy_rows(embedded_services());
  EXPECT_EQ(copy,
            "COPY \"services\" (\"name\", \"description\", \"categoryId\", "
            "\"basePrice\", \"isActive\") FROM STDIN");
  const std::string update = sql.update_rows(embedded_services(), types);
  EXPECT_EQ(update.rfind("UPDATE \"services\" AS t SET \"name\" = CAST(u.c0 AS text), ", 0), 0u)
      << update;
  EXPECT_NE(update.find("\"basePrice\" = CAST(u.c3 AS numeric(10,2))"), std::string::npos)
      << update;
  EXPECT_NE(update.find("FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
                        "$6::text[]) AS u(id, c0, c1, c2, c3, c4)"),
            std::string::npos)
      << update;
  EXPECT_NE(update.find("WHERE t.\"id\" = CAST(u.id AS integer)"), std::string::npos) << update;
  const contract::ReferenceTable categories =
      *contract::embedded().find_reference_table("service_categories");
  EXPECT_EQ(sql.select_keys(categories),
            "SELECT t.\"id\"::text, t.\"name\"::text FROM \"service_categories\" AS t");
  EXPECT_EQ(sql.copy_rows_out(categories),
            "COPY (SELECT t.\"id\"::text, t.\"name\"::text, t.\"description\"::text, "
            "t.\"icon\"::text, t.\"isActive\"::text FROM \"service_categories\" AS t) TO STDOUT");
  for (const std::string& statement : {copy, update, sql.select_rows(embedded_services())}) {
    EXPECT_EQ(statement.find("DELETE"), std::string::npos);
    EXPECT_EQ(statement.find("TRUNCATE"), std::string::npos);
  }
}

TEST(ReferenceSqlBuilder, AColumnProdLacksIsNamed) {
  const ReferenceSqlBuilder sql(quote);
  try {
    sql.update_rows(embedded_services(), {{"id", "integer"}, {"name", "text"}});
    FAIL() << "expected PMC-5009";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-5009");
    EXPECT_NE(failure.message().find("description"), std::string::npos) << failure.message();
  }
}

void expect_refused(const std::function<void()>& build, const char* code) {
  try {
    build();
    FAIL() << "expected " << code;
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), code);
    EXPECT_EQ(failure.exit_code(), ExitCode::Refused);
  }
}

TEST(ReferenceSqlBuilder, RefusesTablesAndColumnsOutsideTheEmbeddedAllowlist) {
  const ReferenceSqlBuilder sql(quote);
  contract::ReferenceTable users = embedded_services();
  users.table = "users";
  expect_refused([&] { sql.select_rows(users); }, "PMC-5001");
  expect_refused([&] { sql.copy_rows(users); }, "PMC-5001");
  expect_refused([&] { sql.select_keys(users); }, "PMC-5001");
  expect_refused([&] { sql.copy_rows_out(users); }, "PMC-5001");
  contract::ReferenceTable wider = embedded_services();
  wider.columns.push_back("password");
  expect_refused([&] { sql.select_rows(wider); }, "PMC-5002");
  expect_refused([&] { sql.update_rows(wider, {{"id", "integer"}}); }, "PMC-5002");
  expect_refused(
      [&] {
        sql.select_protecting_ids(embedded_services(), {"payments", "serviceId"});
      },
      "PMC-5001");
}

}  // namespace
}  // namespace pmc::sync
