#pragma once
// A fresh SQLite file name per test in the temporary directory, removed with its WAL files.
//   temp_file file;  sqlite_store db(file.path());

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace outbound::sender::testing {

class temp_file {
 public:
  temp_file() {
    static std::atomic<int> n{0};
    path_ =
        std::filesystem::temp_directory_path() /
        ("outbound_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".db");
    clean();
  }
  ~temp_file() { clean(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  void clean() {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
};

}  // namespace outbound::sender::testing
