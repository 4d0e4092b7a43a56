/**
 * ingress-nginx's default certificate, served whenever no valid certificate is configured for
 * the requested host (missing or empty Secret, wrong keys, no SAN/CN for the host) and to
 * clients without SNI. The controller generates one at start with subject
 * "O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate" and SAN ingress.local
 * (ingress-nginx internal/net/ssl/ssl.go GetFakeSSLCert). This one was generated once with
 * the same subject and SAN, valid from the simulator's epoch (2024-01-01) for a year, and is
 * committed so runs stay reproducible. Its private key was not kept: the simulator never signs.
 */
export const FAKE_CERT_SUBJECT_CN = 'Kubernetes Ingress Controller Fake Certificate';

export const FAKE_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIDaTCCAlGgAwIBAgIQft9+UA5iSi2gmrZN99qSnTANBgkqhkiG9w0BAQsFADBL
MTcwNQYDVQQDEy5LdWJlcm5ldGVzIEluZ3Jlc3MgQ29udHJvbGxlciBGYWtlIENl
cnRpZmljYXRlMRAwDgYDVQQKEwdBY21lIENvMB4XDTI0MDEwMTAwMDAwMFoXDTI1
MDEwMTAwMDAwMFowSzE3MDUGA1UEAxMuS3ViZXJuZXRlcyBJbmdyZXNzIENvbnRy
b2xsZXIgRmFrZSBDZXJ0aWZpY2F0ZTEQMA4GA1UEChMHQWNtZSBDbzCCASIwDQYJ
KoZIhvcNAQEBBQADggEPADCCAQoCggEBAOfS3AZhx/wI3cqr5hyH4LV7MnRK/gm7
onhtb3qHc8ZLRQvKq6oUllPSI9f5Z2cOMbtOxEyc5SVi9QrbHOyHXMDjeIVU3Yov
lZTDyHrGGnHArztreyr95Q6RfFtxtCVVIknuRn8VMhkLz1LaqadqczHWcTW9X/7z
XD044DVLs/38fs0PM2eqsk4hjgIgBzyQmYZY3PmLxbtaVQiCQYXjoV8Ur+uTTy61
LjqfxgYEumc9lpIccTqWVvYROZer/cYav1mZ4d8OY+F9+e23AQDdxOLz37BODbIl
aA+MrhEc972N907wQxT7bO0qnD9Y9saP8YsquIS8F1dHQZIeVUBH42kCAwEAAaNJ
MEcwCQYDVR0TBAIwADALBgNVHQ8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEw
GAYDVR0RBBEwD4INaW5ncmVzcy5sb2NhbDANBgkqhkiG9w0BAQsFAAOCAQEAeR3K
G3igvDExt+yZsOvFmi61I5nH5Nj4ZiAah8Wk2DEB/SMgvk0cHhwFHzUSB47xhWGH
RG21YZqr+JY3yEp+UY8dXkdIpUPgzMu6I4L7F3jFWbZ6iVQlRO/US+CjRJ1tYrnN
i2OUVw2X9YntxYWC6VO7Rp8ulYs9jzrs0lpKzcDagCYyU6tMxRMKJyDNe9fAzJZz
lAmvzsN1dhrUdsrik66aNecQhEi4gnPY39Kj0lui3bkfMRzVTuyMYUlL6RRj4687
zRpON8qwHGFofqBGFzPjyGJk8d5rNibSSQjIdnAopeQm9nUsDDd8bWwOx6mJSQZy
rqRwV4B7STiiIe6z1Q==
-----END CERTIFICATE-----
`;
