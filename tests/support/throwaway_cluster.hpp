// A throwaway PostgreSQL cluster for one test process, on top of throwaway-pg.sh: a temp dir
// owned by this process, a unix socket inside it, no TCP. Two test processes never collide.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pmc::test {

class ThrowawayCluster {
 public:
  ThrowawayCluster();  // a new temp dir under $TMPDIR, owned by this process
  ~ThrowawayCluster();
  ThrowawayCluster(const ThrowawayCluster&) = delete;
  ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;

  // The cluster every suite of this process shares, started on first use, removed at exit.
  static ThrowawayCluster& shared();

  std::string url(const std::string& database = "postgres") const;
  std::string create_database(const std::string& name);
  // A new database with a name unique in this cluster, for one test.
  std::string fresh_database(const std::string& prefix = "t");

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path server_log() const { return dir_ / "server.log"; }

  void stop_immediately();  // the server dies as in a crash; the data stays
  void stop_fast();         // pg_ctl stop -m fast: sessions are terminated, then a clean stop
  void start();             // (re)start the server on the same data

 private:
  std::filesystem::path dir_;
  int databases_made_ = 0;
};

// Runs throwaway-pg.sh with the arguments; returns its stdout without the trailing newline.
std::string run_harness_script(const std::vector<std::string>& arguments);

}  // namespace pmc::test
