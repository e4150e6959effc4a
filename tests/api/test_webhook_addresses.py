"""No way into the company's network: a webhook URL must be https and every address its host
resolves to must be public — when it is registered, and again before every delivery."""

import ipaddress
import socket

import pytest
from django.urls import reverse

from api.models import WebhookEndpoint
from api.webhooks import network

REFUSED = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.20",
    "169.254.169.254",  # link-local: cloud metadata
    "168.63.129.16",  # Azure wire server (looks public)
    "100.64.0.1",  # shared address space (CGNAT)
    "100.100.100.200",  # Alibaba metadata
    "192.0.0.192",  # Oracle metadata
    "0.0.0.0",  # unspecified  # noqa: S104
    "224.0.0.251",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "fe80::1",
    "fc00::1",  # unique local
    "fd00:ec2::254",  # AWS metadata over IPv6
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
]
ALLOWED = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_inside_a_private_or_special_network_is_refused(address):
    assert not network.is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_a_public_address_is_allowed(address):
    assert network.is_public_address(ipaddress.ip_address(address))


@pytest.fixture
def dns(monkeypatch):
    """`dns["host"] = [addresses]`: what the resolver answers (nothing leaves the machine)."""
    answers = {}

    def resolve(host, port):
        if host not in answers:
            raise socket.gaierror("no such host")
        return answers[host]

    monkeypatch.setattr(network, "resolve", resolve)
    return answers


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/crm", "https://"),
        ("ftp://hooks.example.com/crm", "https://"),
        ("https://user:secret@hooks.example.com/crm", "user name and password"),
        ("https://10.0.0.8/crm", "private network"),
        ("https://[::1]/crm", "private network"),
        ("https://[::ffff:127.0.0.1]:8443/crm", "private network"),
        ("https://intranet.example.com/crm", "private network"),
        ("https://mixed.example.com/crm", "private network"),
        ("https://nowhere.example.com/crm", "does not resolve"),
        ("https://hooks.example.com:99999/crm", "valid URL"),
    ],
)
def test_a_url_is_refused_unless_https_and_public_everywhere_it_resolves(dns, url, message):
    dns["intranet.example.com"] = ["192.168.4.4"]
    dns["mixed.example.com"] = ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(network.UnsafeTarget) as refused:
        network.check_target(url)

    assert message in str(refused.value.message)


def test_a_public_https_url_is_accepted_with_every_address_it_resolves_to(dns):
    dns["hooks.example.com"] = ["93.184.216.34", "2606:4700:4700::1111"]

    target = network.check_target("https://hooks.example.com:8443/crm?team=ops")

    assert (target.host, target.port, target.path) == ("hooks.example.com", 8443, "/crm?team=ops")
    assert target.addresses == ("93.184.216.34", "2606:4700:4700::1111")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/crm", "https://"),
        ("https://intranet.example.com/crm", "private network"),
        ("https://169.254.169.254/latest/meta-data/", "private network"),
    ],
)
def test_registering_an_unsafe_url_shows_the_reason_next_to_the_field(
    login, coordinator, dns, url, message
):
    dns["intranet.example.com"] = ["10.20.30.40"]

    response = login(coordinator).post(
        reverse("api:webhook_create"),
        {"name": "Facility system", "url": url, "events": ["stock.low"]},
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["url"])
    assert not WebhookEndpoint.objects.exists()
