-- wrk script for bench/mock_throughput.sh: POSTs one-notification Account envelopes as Salesforce
-- sends them. 10,000 distinct notification ids are prepared up front and used in turn, so the
-- mock's ledger sees new ids and repeats alike while wrk spends no time building bodies.
local head = [[<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>00D000000000001</OrganizationId>
   <ActionId>04k000000000001</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/59.0/00D000000000001</EnterpriseUrl>
   <PartnerUrl>https://example.my.salesforce.com/services/Soap/u/59.0/00D000000000001</PartnerUrl>
   <Notification>
    <Id>]]
local middle = [[</Id>
    <sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>]]
local tail = [[</sf:Id>
     <sf:AccountNumber>CD355118</sf:AccountNumber>
     <sf:BillingCity>Lyon</sf:BillingCity>
     <sf:BillingCountry>France</sf:BillingCountry>
     <sf:BillingPostalCode>69002</sf:BillingPostalCode>
     <sf:BillingStreet>12 Rue de la Republique</sf:BillingStreet>
     <sf:Name>Dupont Industries SA</sf:Name>
     <sf:SystemModstamp>2026-01-05T09:00:00.000Z</sf:SystemModstamp>
    </sObject>
   </Notification>
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
]]

local requests = {}
local count = 10000
local next_request = 0

function init(args)
  local headers = {
    ["Content-Type"] = "text/xml; charset=utf-8",
    ["SOAPAction"] = '""',
  }
  for i = 1, count do
    local body = head .. string.format("04l%012d", i) .. middle .. string.format("001%012d", i) .. tail
    requests[i] = wrk.format("POST", "/", headers, body)
  end
end

function request()
  next_request = next_request % count + 1
  return requests[next_request]
end
