-- wrk script: POST the JSON body in env BODY with the X-Amz-Target in env TARGET.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService." .. os.getenv("TARGET")
