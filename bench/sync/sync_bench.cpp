// pmc-bench-sync: pmc-sync-reference-data --apply against its two baselines, in one run on one
// throwaway cluster: (a) the floor, a COPY of the same rows into empty tables, and (b) a
// row-by-row upsert loop over one connection. Prints the times and the ratios against the
// targets (sync within 2x of the floor, at least 20x faster than row by row).
//
//   <build>/bench/sync/pmc-bench-sync [--services N] [--categories N] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_data.hpp"
#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "process.hpp"
#include "raw_connection.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  std::size_t services = 100000;
  std::size_t categories = 1000;
  int runs = 3;  // the floor and each sync: the median of this many; row by row runs once
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The machine's load, printed with the figures: ratios measured beside other work drift.
std::string load_average() {
  std::string text = read_file("/proc/loadavg");
  return text.substr(0, text.find(' ', text.find(' ', text.find(' ') + 1) + 1));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

class Bench {
 public:
  explicit Bench(Settings settings)
      : settings_(settings),
        data_(generate(settings.categories, settings.services)),
        categories_copy_(categories_copy_text(data_)),
        services_copy_(services_copy_text(data_)),
        differing_copy_(services_copy_text(data_, &difference_)),
        schema_(read_file(std::string(PMC_SOURCE_DIR) + "/fixtures/reference-data/schema.sql")),
        ci_(guard::enforce_ci_only_execution()) {
    dev_ = database("dev", "dev");
    load(dev_, services_copy_);
  }

  // (a) COPY of the same rows into empty tables of the same schema: the floor.
  double floor() {
    const std::string url = database("floor", "");
    RawConnection connection(url);
    const Clock::time_point start = Clock::now();
    connection.run("BEGIN");
    connection.copy_in(kCopyCategories, categories_copy_);
    connection.copy_in(kCopyServices, services_copy_);
    connection.run("COMMIT");
    const double elapsed = seconds_since(start);
    expect(url, "SELECT count(*) FROM services", std::to_string(settings_.services));
    return elapsed;
  }

  // The program itself, as CI runs it: both connects, fingerprints, plan, preview, YES, apply.
  double sync_into_empty() {
    const std::string prod = database("prod_empty", "prod");
    const double elapsed = sync(prod);
    expect(prod, "SELECT count(*) FROM services", std::to_string(settings_.services));
    return elapsed;
  }

  double sync_into_differing() {
    const std::string prod = differing_prod("prod_differs", "prod");
    const double elapsed = sync(prod);
    expect(prod, "SELECT count(*) FROM services", std::to_string(settings_.services));
    // Booked services are protected: they keep prod's price; every other row now has dev's.
    expect(prod, "SELECT count(*) FROM services WHERE \"basePrice\" = 1.00", booked_count());
    return elapsed;
  }

  // (b) One upsert per row over one connection, prepared once: in one transaction (the
  // strongest form of the loop), or each row its own transaction (as an ORM loop runs).
  double row_by_row(bool differing, bool one_transaction) {
    const std::string url =
        differing ? differing_prod("rows_differs", "") : database("rows_empty", "");
    RawConnection connection(url);
    connection.prepare("category",
                       "INSERT INTO service_categories (name, description, icon, \"isActive\") "
                       "VALUES ($1, $2, $3, true) ON CONFLICT (name) DO UPDATE SET "
                       "description = EXCLUDED.description, icon = EXCLUDED.icon, "
                       "\"isActive\" = EXCLUDED.\"isActive\"");
    connection.prepare("service",
                       "INSERT INTO services (name, description, \"categoryId\", \"basePrice\", "
                       "\"isActive\") VALUES ($1, $2, (SELECT id FROM service_categories WHERE "
                       "name = $3), $4, $5) ON CONFLICT (name) DO UPDATE SET "
                       "description = EXCLUDED.description, \"categoryId\" = "
                       "EXCLUDED.\"categoryId\", \"basePrice\" = EXCLUDED.\"basePrice\", "
                       "\"isActive\" = EXCLUDED.\"isActive\"");
    const Clock::time_point start = Clock::now();
    if (one_transaction) connection.run("BEGIN");
    for (const Category& category : data_.categories) {
      connection.run_prepared(
          "category", {category.name.c_str(), category.description.c_str(), category.icon.c_str()});
    }
    for (const Service& service : data_.services) {
      connection.run_prepared(
          "service", {service.name.c_str(), service.description.c_str(),
                      data_.categories[service.category].name.c_str(), service.base_price.c_str(),
                      service.is_active ? "t" : "f"});
    }
    if (one_transaction) connection.run("COMMIT");
    const double elapsed = seconds_since(start);
    expect(url, "SELECT count(*) FROM services", std::to_string(settings_.services));
    return elapsed;
  }

  std::string booked_count() const {
    std::size_t booked = 0;
    for (std::size_t i = 0; i < settings_.services; ++i) booked += is_booked(i) ? 1 : 0;
    return std::to_string(booked);
  }

 private:
  static constexpr const char* kCopyCategories =
      "COPY service_categories (name, description, icon, \"isActive\") FROM STDIN";
  static constexpr const char* kCopyServices =
      "COPY services (name, description, \"categoryId\", \"basePrice\", \"isActive\") FROM STDIN";

  // A service of every hundredth, among the changed ones, is booked in the differing prod.
  bool is_booked(std::size_t service) const {
    return difference_.changed(service) &&
           service % (difference_.stride * 5) == difference_.stride / 2;
  }

  // A new database with the reference schema, fingerprinted when `environment` is not empty.
  std::string database(const std::string& prefix, const std::string& environment) {
    const std::string url = cluster_.fresh_database(prefix);
    RawConnection(url).run(schema_);
    if (!environment.empty()) {
      db::ConnectOptions options;
      options.url = url;
      options.application_name = "pmc-bench-sync";
      options.expected_environment = environment;
      db::connect_for_fingerprint_init(options, ci_).write_first(environment);
    }
    return url;
  }

  void load(const std::string& url, const std::string& services) {
    RawConnection connection(url);
    connection.copy_in(kCopyCategories, categories_copy_);
    connection.copy_in(kCopyServices, services);
    connection.run("ANALYZE");
  }

  std::string differing_prod(const std::string& prefix, const std::string& environment) {
    const std::string url = database(prefix, environment);
    load(url, differing_copy_);
    std::string booked =
        "INSERT INTO bookings (\"serviceId\", customer) SELECT id, 'bench' FROM "
        "services WHERE name = ANY(ARRAY[''";
    for (std::size_t i = 0; i < settings_.services; ++i) {
      if (is_booked(i)) booked += ",'" + data_.services[i].name + "'";
    }
    RawConnection(url).run(booked + "])");
    return url;
  }

  double sync(const std::string& prod) {
    test::Environment environment = test::clean_environment();
    environment["CI"] = "true";
    environment["DEV_DATABASE_URL"] = dev_;
    environment["PROD_DATABASE_URL"] = prod;
    const Clock::time_point start = Clock::now();
    const test::ProcessResult result =
        test::run_process({test::pmc_binary("pmc-sync-reference-data"), "--apply"}, environment,
                          "YES\n", std::chrono::minutes(10));
    const double elapsed = seconds_since(start);
    if (result.exit_code != 0) {
      throw std::runtime_error("pmc-sync-reference-data failed: " + result.err.substr(0, 2000));
    }
    return elapsed;
  }

  static void expect(const std::string& url, const std::string& query, const std::string& value) {
    const std::string found = RawConnection(url).one(query);
    if (found != value) {
      throw std::runtime_error(query + ": expected " + value + ", found " + found);
    }
  }

  Settings settings_;
  ReferenceData data_;
  Difference difference_;
  std::string categories_copy_, services_copy_, differing_copy_, schema_;
  test::ThrowawayCluster cluster_;
  guard::CiPass ci_;
  std::string dev_;
};

void line(const char* what, double seconds, const std::string& ratio = {}) {
  std::printf("  %-50s %8.3f s  %s\n", what, seconds, ratio.c_str());
}

std::string ratio_text(double ratio, const char* against, const char* target, bool met) {
  char text[160];
  std::snprintf(text, sizeof text, "%6.2fx %s (target %s: %s)", ratio, against, target,
                met ? "met" : "MISSED");
  return text;
}

std::string ratio_text(double ratio, const char* against) {
  char text[160];
  std::snprintf(text, sizeof text, "%6.2fx %s", ratio, against);
  return text;
}

int run(const Settings& settings) {
  std::printf(
      "pmc-bench-sync: %zu services in %zu categories, one throwaway cluster (unix socket), "
      "%u cores, load average %s\n"
      "  floor and syncs: median of %d interleaved runs; row-by-row loops: 1 run each\n",
      settings.services, settings.categories, std::thread::hardware_concurrency(),
      load_average().c_str(), settings.runs);
  std::fflush(stdout);
  Bench bench(settings);
  // Interleaved, so that a change in the machine's load hits the floor and the syncs alike.
  std::vector<double> floors, empties, differings;
  for (int i = 0; i < settings.runs; ++i) {
    floors.push_back(bench.floor());
    empties.push_back(bench.sync_into_empty());
    differings.push_back(bench.sync_into_differing());
  }
  const double floor = median(floors);
  const double empty = median(empties);
  const double differing = median(differings);
  const double rows_empty = bench.row_by_row(false, true);
  const double rows_differing = bench.row_by_row(true, true);
  const double autocommit_empty = bench.row_by_row(false, false);

  line("(a) floor: COPY of the same rows into empty tables", floor);
  line("pmc-sync-reference-data --apply, empty prod", empty,
       ratio_text(empty / floor, "the floor", "<= 2x", empty <= 2 * floor));
  line("pmc-sync-reference-data --apply, prod 10% differs", differing,
       ratio_text(differing / floor, "the floor", "<= 2x", differing <= 2 * floor));
  line("(b) row-by-row upsert loop, empty prod", rows_empty,
       ratio_text(rows_empty / empty, "the sync", ">= 20x", rows_empty >= 20 * empty));
  line("(b) row-by-row upsert loop, prod 10% differs", rows_differing,
       ratio_text(rows_differing / differing, "the sync", ">= 20x",
                  rows_differing >= 20 * differing));
  line("    the same loop, a transaction per row, empty", autocommit_empty,
       ratio_text(autocommit_empty / empty, "the sync"));
  line("    row by row against the floor", rows_empty, ratio_text(rows_empty / floor, "the floor"));
  std::printf(
      "  The sync times are the whole program (both connects and fingerprints, dev read, preview\n"
      "  printed, YES, then lock, re-read, re-plan, write, commit in one transaction). The loops\n"
      "  are prepared INSERT … ON CONFLICT DO UPDATE statements over one connection, in one\n"
      "  transaction unless said. The differing prod lacks 5%% of the services and has another\n"
      "  price on 5%%, %s of those booked and so protected.\n",
      bench.booked_count().c_str());
  std::printf("  load average at the end: %s\n", load_average().c_str());
  return 0;
}

}  // namespace
}  // namespace pmc::bench

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      "pmc-bench-sync",
      "Times pmc-sync-reference-data --apply beside a COPY of the same rows (the floor) and a "
      "row-by-row upsert loop, on a throwaway cluster it starts and removes.");
  CLI::App& app = command_line.app();
  pmc::bench::Settings settings;
  app.add_option("--services", settings.services, "services in dev")->check(CLI::PositiveNumber);
  app.add_option("--categories", settings.categories, "categories in dev")
      ->check(CLI::PositiveNumber);
  app.add_option("--runs", settings.runs, "runs of the floor and of each sync (the median)")
      ->check(CLI::PositiveNumber);
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  // The bench writes its fingerprints and runs --apply on its own throwaway cluster only.
  setenv("CI", "true", 1);
  try {
    return pmc::bench::run(settings);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "pmc-bench-sync: %s\n", error.what());
    return 1;
  }
}
