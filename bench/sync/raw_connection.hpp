// A plain libpq connection for the bench's setup and baselines (bench/ writes only to the
// throwaway cluster it starts): statements, COPY, and a prepared statement run row by row.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace pmc::bench {

class RawConnection {
 public:
  explicit RawConnection(const std::string& url);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void run(const std::string& sql);         // one or more statements, simple protocol
  std::string one(const std::string& sql);  // first column of the first row
  void copy_in(const std::string& copy_statement, const std::string& text);
  void prepare(const std::string& name, const std::string& sql);
  void run_prepared(const std::string& name, const std::vector<const char*>& values);

 private:
  void check(PGresult* result, const std::string& what);
  PGconn* connection_;
};

}  // namespace pmc::bench
