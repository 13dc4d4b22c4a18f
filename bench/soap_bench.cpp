// Write and parse of outbound envelopes with 1 and 100 notifications of an Account with the 20
// fields of examples/definitions/Account.wsdl, and classification of an ack.
//   build-release/bench/soap_bench --benchmark_min_time=1
// bytes_per_second is envelope bytes; items_per_second is messages.
#include <benchmark/benchmark.h>

#include "soap/ack.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"
#include "soap/sample_data.hpp"

namespace {

using namespace outbound::soap;

definition account() {
  definition d;
  d.object = "Account";
  d.organization_id = make_id("00D", 1);
  d.action_id = make_id("04k", 2);
  for (const char* name : {"AccountNumber",
                           "AccountOwnerName__c",
                           "Addressed_To__c",
                           "BIC__c",
                           "BillingCity",
                           "BillingCountry",
                           "BillingPostalCode",
                           "BillingStreet",
                           "Debtor_Number__c",
                           "EmailFinance__c",
                           "Financial_Name__c",
                           "IBAN__c",
                           "Name",
                           "PartnerUserAccount__c",
                           "Payment_Method__c",
                           "Phone",
                           "PortalPriceLevel__c",
                           "ShippingCity",
                           "ShippingCountry",
                           "ShippingStreet"})
    d.fields.push_back({name, field_type::string});
  return d;
}

message sample(std::int64_t notifications) {
  outbound::random rng(42);
  return sample_message(account(), static_cast<std::size_t>(notifications), rng);
}

void write_envelope_bench(benchmark::State& state) {
  const auto m = sample(state.range(0));
  std::string out;
  for (auto _ : state) {
    out.clear();  // the sender reuses one buffer
    write_envelope(m, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["envelope_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(write_envelope_bench)->Arg(1)->Arg(100);

// parse_envelope reads the form Salesforce sends without a DOM; the DOM parser alone is what any
// other rendering of the same envelope costs.
template <auto parse>
void parse_bench(benchmark::State& state) {
  const auto body = write_envelope(sample(state.range(0)));
  for (auto _ : state) {
    auto m = parse(body);
    if (!m) state.SkipWithError("not parsed");
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["envelope_bytes"] = static_cast<double>(body.size());
}
void parse_envelope_bench(benchmark::State& state) {
  parse_bench<parse_envelope>(state);
}
void parse_envelope_by_dom_bench(benchmark::State& state) {
  parse_bench<detail::parse_envelope_by_dom>(state);
}
BENCHMARK(parse_envelope_bench)->Arg(1)->Arg(100);
BENCHMARK(parse_envelope_by_dom_bench)->Arg(1)->Arg(100);

void classify_ack_bench(benchmark::State& state) {
  const auto body = write_ack(true);
  for (auto _ : state) {
    auto v = classify_response(200, "OK", "text/xml; charset=utf-8", body);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_ack_bench);

}  // namespace

BENCHMARK_MAIN();
