// The real Prisma CLI (6.19.3 through its JS engine, tests/migrations/prisma-route.sh) run against
// a database, for the suites that hold pmc's rows and outputs beside Prisma's.
#pragma once

#include <string>
#include <vector>

#include "migration_test_support.hpp"

namespace pmc::test {

struct PrismaOutput {
  int exit_code = -1;
  std::string text;  // stdout and stderr together, without the line naming the database
};

// Installs the CLI into its ignored folder when it is not there yet; fails the test otherwise.
void install_prisma_cli();

// `prisma ARGUMENTS…` with DATABASE_URL=url and the migrations folder `folder`.
PrismaOutput prisma(const std::string& url, const MigrationsFolder& folder,
                    const std::vector<std::string>& arguments);

bool contains(const std::string& text, const std::string& part);

}  // namespace pmc::test
