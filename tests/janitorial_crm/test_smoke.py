def test_dashboard_renders_for_each_role(
    login, admin_user, coordinator, technician, inspector, client_user, site
):
    for user in (admin_user, coordinator, technician, inspector, client_user):
        response = login(user).get("/")
        assert response.status_code == 200, user
        assert b"Own Tower" in response.content


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
