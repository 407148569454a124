"""Writes that do not collide needlessly: many clients working on one user at once. Each part
of a user (profile, password, codes, lockout, MFA, revocation) is compared-and-set on its own,
and writers retry, so none of these answers ConcurrentModificationException."""

import threading

from botocore.exceptions import ClientError

from conftest import PASSWORD, create_pool


def test_one_user_many_writers(new_server):
    # Up to 20 password hashes arrive at once: a CPU queue that holds them all, since the bounded
    # queue's refusals (TooManyRequestsException, by design; see test_limits) are not under test.
    server = new_server(extra_args=["--cpu-queue", "64"])
    pool = create_pool(server.client(), server)
    pool.client_id = pool.create_client()["ClientId"]
    pool.create_user("busy", attributes={"email": "busy@example.com", "email_verified": "true"})
    clients = [server.client() for _ in range(64)]
    errors: list[str] = []
    barrier = threading.Barrier(len(clients))

    def work(i: int):
        c = clients[i]
        barrier.wait()
        try:
            match i % 4:
                case 0:
                    c.admin_set_user_password(UserPoolId=pool.id, Username="busy", Password=PASSWORD,
                                              Permanent=True)
                case 1:
                    c.admin_update_user_attributes(UserPoolId=pool.id, Username="busy",
                                                   UserAttributes=[{"Name": "name", "Value": f"n{i}"}])
                case 2:
                    c.admin_user_global_sign_out(UserPoolId=pool.id, Username="busy")
                case 3 if i < 16:
                    # a few concurrent sign-ins with the right password (more than five at
                    # once would be held back by the attempt limit, by design)
                    c.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "busy", "PASSWORD": PASSWORD})
                case _:
                    c.admin_get_user(UserPoolId=pool.id, Username="busy")
        except ClientError as e:
            errors.append(f"{i % 4}: {e.response['Error']['Code']}: {e.response['Error']['Message']}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert pool.attrs("busy")["name"].startswith("n")
    pool.sign_in("busy", PASSWORD)
