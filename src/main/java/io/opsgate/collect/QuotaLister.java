package io.opsgate.collect;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ListServiceQuotasRequest;
import software.amazon.awssdk.services.servicequotas.model.ListServiceQuotasResponse;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * ListServiceQuotas of every configured service code, every page, each request paced by the {@link RequestPacer}
 * (the API allows 10 per second). TooManyRequestsException is a throttling error to the SDK's retry strategy, which
 * backs off with the configured throttling delays; when its attempts run out the exception ends the listing.
 */
final class QuotaLister {
    private static final int PAGE_SIZE = 100;

    private final ServiceQuotasClient client;
    private final List<String> serviceCodes;
    private final RequestPacer pacer;

    QuotaLister(ServiceQuotasClient client, List<String> serviceCodes, RequestPacer pacer) {
        this.client = client;
        this.serviceCodes = List.copyOf(serviceCodes);
        this.pacer = pacer;
    }

    List<ServiceQuota> list() {
        List<ServiceQuota> quotas = new ArrayList<>();
        for (String code : serviceCodes) {
            String token = null;
            do {
                pacer.acquire();
                ListServiceQuotasResponse page = client.listServiceQuotas(ListServiceQuotasRequest.builder()
                        .serviceCode(code).maxResults(PAGE_SIZE).nextToken(token).build());
                quotas.addAll(page.quotas());
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        }
        return quotas;
    }
}
