"""Pool MFA configuration: SetUserPoolMfaConfig / GetUserPoolMfaConfig and
MfaConfiguration on Create/Update/DescribeUserPool."""

import pytest

from conftest import enable_totp, raises

OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."


def totp_enabled(config: dict) -> bool:
    """SoftwareTokenMfaConfiguration is either omitted (disabled) or {"Enabled": bool}."""
    block = config.get("SoftwareTokenMfaConfiguration")
    return bool(block and block.get("Enabled"))


def get_config(cognito, pool_id):
    return cognito.get_user_pool_mfa_config(UserPoolId=pool_id)


# --------------------------------------------------------------------------- GetUserPoolMfaConfig


def test_never_configured_pool_is_off(pool, cognito):
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "OFF"
    assert not totp_enabled(cfg)
    assert pool.describe()["MfaConfiguration"] == "OFF"


def test_get_unknown_pool(cognito):
    pid = "us-east-1_NoSuchP00"
    with raises("ResourceNotFoundException", f"User pool {pid} does not exist."):
        cognito.get_user_pool_mfa_config(UserPoolId=pid)
    with raises("ResourceNotFoundException", f"User pool {pid} does not exist."):
        enable_totp(cognito, pid)


# --------------------------------------------------------------------------- SetUserPoolMfaConfig


@pytest.mark.parametrize("mfa", ["OPTIONAL", "ON"])
def test_enable_totp(pool, cognito, mfa):
    r = enable_totp(cognito, pool.id, mfa)
    assert r["MfaConfiguration"] == mfa
    assert r["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == mfa
    assert cfg["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert pool.describe()["MfaConfiguration"] == mfa


def test_off_alone_accepted_and_disables_totp(pool, cognito):
    enable_totp(cognito, pool.id, "OPTIONAL")
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OFF")
    assert r["MfaConfiguration"] == "OFF"
    assert not totp_enabled(r)
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "OFF"
    assert not totp_enabled(cfg), "replace semantics: the omitted TOTP block is disabled"
    assert pool.describe()["MfaConfiguration"] == "OFF"


def test_off_alone_on_fresh_pool(pool, cognito):
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OFF")
    assert r["MfaConfiguration"] == "OFF"
    assert get_config(cognito, pool.id)["MfaConfiguration"] == "OFF"


def test_off_with_totp_block_rejected(pool, cognito):
    enable_totp(cognito, pool.id, "ON")
    with raises("InvalidParameterException", OFF_WITH_FACTOR):
        cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OFF",
                                         SoftwareTokenMfaConfiguration={"Enabled": True})
    # the rejected call changed nothing
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "ON"
    assert totp_enabled(cfg)
    assert pool.describe()["MfaConfiguration"] == "ON"


@pytest.mark.parametrize("mfa", ["OPTIONAL", "ON"])
def test_required_or_optional_without_factor_rejected(pool, cognito, mfa):
    with raises("InvalidParameterException", NO_FACTOR):
        cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration=mfa)
    assert get_config(cognito, pool.id)["MfaConfiguration"] == "OFF"
    assert pool.describe()["MfaConfiguration"] == "OFF"


@pytest.mark.parametrize("mfa", ["OPTIONAL", "ON"])
def test_replace_semantics_previous_totp_does_not_count(pool, cognito, mfa):
    """TOTP enabled before, then a call that omits the TOTP block: the block counts as disabled,
    so the call disables every factor and is rejected; the stored configuration is unchanged."""
    enable_totp(cognito, pool.id, "OPTIONAL")
    with raises("InvalidParameterException", NO_FACTOR):
        cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration=mfa)
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "OPTIONAL"
    assert totp_enabled(cfg)


SMS_BLOCK = {"SmsAuthenticationMessage": "Your code is {####}",
             "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "cognate"}}


def test_replace_semantics_omitted_totp_block_is_disabled(pool, cognito):
    """With a second factor configured, a call that omits the TOTP block is valid and switches TOTP off."""
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OPTIONAL",
                                         SoftwareTokenMfaConfiguration={"Enabled": True},
                                         SmsMfaConfiguration=SMS_BLOCK)
    assert totp_enabled(r) and r["SmsMfaConfiguration"] == SMS_BLOCK
    r = cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OPTIONAL",
                                         SmsMfaConfiguration=SMS_BLOCK)
    assert r["MfaConfiguration"] == "OPTIONAL"
    assert not totp_enabled(r)
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "OPTIONAL"
    assert not totp_enabled(cfg)
    assert cfg["SmsMfaConfiguration"] == SMS_BLOCK
    # and the omitted SMS block is dropped by the next call that only configures TOTP
    cfg = enable_totp(cognito, pool.id, "OPTIONAL")
    assert totp_enabled(cfg) and not cfg.get("SmsMfaConfiguration")
    assert not get_config(cognito, pool.id).get("SmsMfaConfiguration")


def test_explicitly_disabled_totp_with_optional_rejected(pool, cognito):
    with raises("InvalidParameterException", NO_FACTOR):
        cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OPTIONAL",
                                         SoftwareTokenMfaConfiguration={"Enabled": False})
    assert get_config(cognito, pool.id)["MfaConfiguration"] == "OFF"


def test_switch_between_on_and_optional(pool, cognito):
    enable_totp(cognito, pool.id, "ON")
    assert pool.describe()["MfaConfiguration"] == "ON"
    enable_totp(cognito, pool.id, "OPTIONAL")
    cfg = get_config(cognito, pool.id)
    assert (cfg["MfaConfiguration"], totp_enabled(cfg)) == ("OPTIONAL", True)
    assert pool.describe()["MfaConfiguration"] == "OPTIONAL"


def test_configs_are_per_pool(make_pool, cognito):
    a, b = make_pool(), make_pool()
    enable_totp(cognito, a.id, "ON")
    assert get_config(cognito, a.id)["MfaConfiguration"] == "ON"
    cfg_b = get_config(cognito, b.id)
    assert cfg_b["MfaConfiguration"] == "OFF"
    assert not totp_enabled(cfg_b)


def test_invalid_mfa_configuration_value(pool, cognito_unvalidated):
    with raises("InvalidParameterException"):
        cognito_unvalidated.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="SOMETIMES",
                                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    assert get_config(cognito_unvalidated, pool.id)["MfaConfiguration"] == "OFF"


def test_config_survives_restart(new_server):
    srv = new_server()
    c = srv.client()
    pid = c.create_user_pool(PoolName="mfa-durable")["UserPool"]["Id"]
    enable_totp(c, pid, "ON")
    srv.restart()
    c = srv.client()
    cfg = get_config(c, pid)
    assert cfg["MfaConfiguration"] == "ON"
    assert cfg["SoftwareTokenMfaConfiguration"] == {"Enabled": True}


# --------------------------------------------------------------------------- Create/Update/DescribeUserPool


@pytest.mark.parametrize("mfa", ["OFF", "ON", "OPTIONAL"])
def test_create_user_pool_mfa_configuration(make_pool, cognito, mfa):
    # MFA ON/OPTIONAL at creation needs an SmsConfiguration (SMS is then the pool's factor)
    p = make_pool(MfaConfiguration=mfa, SmsConfiguration=SMS_BLOCK["SmsConfiguration"])
    assert p.data["MfaConfiguration"] == mfa
    assert p.describe()["MfaConfiguration"] == mfa
    cfg = get_config(cognito, p.id)
    assert cfg["MfaConfiguration"] == mfa
    # CreateUserPool has no TOTP switch: TOTP stays off until SetUserPoolMfaConfig
    assert not totp_enabled(cfg)
    assert bool(cfg.get("SmsMfaConfiguration")) == (mfa != "OFF")


def test_update_user_pool_mfa_configuration(pool, cognito):
    enable_totp(cognito, pool.id, "OPTIONAL")
    cognito.update_user_pool(UserPoolId=pool.id, MfaConfiguration="ON",
                             Policies={"PasswordPolicy": {"MinimumLength": 8}})
    assert pool.describe()["MfaConfiguration"] == "ON"
    cfg = get_config(cognito, pool.id)
    assert cfg["MfaConfiguration"] == "ON"
    assert totp_enabled(cfg), "UpdateUserPool has no TOTP switch and must not disable TOTP"

    cognito.update_user_pool(UserPoolId=pool.id, MfaConfiguration="OPTIONAL",
                             Policies={"PasswordPolicy": {"MinimumLength": 8}})
    assert pool.describe()["MfaConfiguration"] == "OPTIONAL"
    assert get_config(cognito, pool.id)["MfaConfiguration"] == "OPTIONAL"


def test_set_mfa_config_reflected_in_describe(pool, cognito):
    enable_totp(cognito, pool.id, "ON")
    assert pool.describe()["MfaConfiguration"] == "ON"
    cognito.set_user_pool_mfa_config(UserPoolId=pool.id, MfaConfiguration="OFF")
    assert pool.describe()["MfaConfiguration"] == "OFF"
