"""/metrics counts requests by route template."""

import httpx


async def test_metrics_count_requests_by_route(client: httpx.AsyncClient) -> None:
    await client.get("/api/info")
    await client.get("/api/v1/me")
    text = (await client.get("/metrics")).text
    assert 'chinwag_http_requests_total{method="GET",route="/api/info",status="200"} 1.0' in text
    assert 'route="/api/v1/me",status="401"' in text
    assert "chinwag_http_request_seconds_bucket" in text
