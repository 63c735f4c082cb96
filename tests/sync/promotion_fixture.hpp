// The promotion suites' fixture: a dev and a prod database of the reference schema
// (fixtures/reference-data/schema.sql), fingerprinted dev and prod, and pmc-sync-reference-data
// run against them as a real subprocess.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process.hpp"

namespace pmc::test {

// Runs SQL on a raw connection of its own (tests may); returns the first column of every row.
std::vector<std::string> sql(const std::string& url, const std::string& statement);
// The first column of the first row, "<no row>" when there is none.
std::string one(const std::string& url, const std::string& statement);
std::string read_file(const std::string& path);

enum class Sequences { Included, LeftOut };

// pg_dump --data-only without Debian's random \restrict / \unrestrict lines. Sequence positions
// can be left out: PostgreSQL advances sequences outside transactions, so a rolled-back insert
// still moves them (a gap in ids, never a row). Only tests of rolled-back writes leave them out.
std::string data_dump(const std::string& url, Sequences sequences = Sequences::Included);

class Promotion : public ::testing::Test {
 protected:
  void SetUp() override;

  // pmc-sync-reference-data with DEV_DATABASE_URL / PROD_DATABASE_URL set to this test's
  // databases, CI=true unless `in_ci` is false.
  ProcessResult sync(std::vector<std::string> arguments, const std::string& input = "",
                     bool in_ci = true);
  Environment sync_environment(bool in_ci = true) const;

  // Dev: categories Home (id 1) and Garden (2); services Cleaning, Mowing, Weeding (in Home),
  // Booked, Provided. Prod: Garden (id 1), a prod-only category, Mowing (cheaper), Weeding (in
  // Garden), Booked (booked), Provided (offered by a provider), a prod-only service.
  void seed_example();

  std::string dev_, prod_;
};

}  // namespace pmc::test
