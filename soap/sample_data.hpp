#pragma once
// Realistic, seeded values for a definition's fields (company and person names, account numbers,
// street addresses, cities, countries, emails, phones, dates, amounts), by field name and type.
//   random rng(7);
//   std::vector<field_value> v = sample_fields(def, rng);  // same seed, same values

#include <vector>

#include "common/random.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"

namespace outbound::soap {

field_value sample_value(const field& f, random& rng);
std::vector<field_value> sample_fields(const definition& d, random& rng);

// sample_fields for many records of one definition: what each field's name asks for is worked out
// once, not per record (the name tests were most of the work). The same values for the same seed.
//   fields_sampler sample(def);  auto fields = sample(rng);
class fields_sampler {
 public:
  explicit fields_sampler(const definition& d);
  ~fields_sampler();
  fields_sampler(fields_sampler&&) noexcept;
  fields_sampler& operator=(fields_sampler&&) noexcept;
  std::vector<field_value> operator()(random& rng) const;

 private:
  struct plan;
  std::vector<plan> fields_;
};

// A full message for `count` notifications of fresh records, as `outbound envelope` prints it.
message sample_message(const definition& d, std::size_t count, random& rng);

}  // namespace outbound::soap
