#pragma once
// A value or the reason there is none, for parsers whose failures are ordinary results
// (garbage on the wire) rather than exceptional ones.
//   expected<message> m = parse_envelope(body);
//   if (!m) return fault(m.error());

#include <string>
#include <utility>
#include <variant>

namespace outbound {

template <class T>
class [[nodiscard]] expected {
 public:
  expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  static expected failure(std::string reason) { return expected(std::move(reason), 0); }

  explicit operator bool() const { return state_.index() == 0; }
  bool ok() const { return state_.index() == 0; }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const std::string& error() const { return std::get<1>(state_); }

 private:
  expected(std::string reason, int) : state_(std::in_place_index<1>, std::move(reason)) {}
  std::variant<T, std::string> state_;
};

}  // namespace outbound
