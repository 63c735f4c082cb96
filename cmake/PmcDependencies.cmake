# Every third-party library pmc links, found once for the whole tree.
find_package(PkgConfig REQUIRED)
find_package(PostgreSQL REQUIRED)              # libpq
find_package(OpenSSL REQUIRED)                 # SHA-256
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# libpg_query ships neither pkg-config nor CMake files.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(PG_QUERY_LIBRARY NAMES pg_query REQUIRED)
add_library(pmc::pg_query UNKNOWN IMPORTED)
set_target_properties(pmc::pg_query PROPERTIES
  IMPORTED_LOCATION "${PG_QUERY_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${PG_QUERY_INCLUDE_DIR}")

# The PostgreSQL server binaries the test harness runs (initdb, pg_ctl, postgres).
file(GLOB _pmc_pg_bindirs LIST_DIRECTORIES true "/usr/lib/postgresql/*/bin")
list(SORT _pmc_pg_bindirs COMPARE NATURAL ORDER DESCENDING)
list(GET _pmc_pg_bindirs 0 _pmc_pg_default_bindir)
set(PMC_PG_BINDIR "${_pmc_pg_default_bindir}" CACHE PATH "Directory holding initdb and pg_ctl")
