/// The sample manifest the demo exports; `samples/keys.csv` holds the same text (a test keeps them equal).
enum DemoManifest {
    static let csv = """
        app_key,user_id,label
        3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a01,100231,Acme Capital
        3f2b8c1e-7d4a-4e6b-9a1c-2b5d8e0f1a02,100231,Acme Capital
        9c4e2a7b-1f3d-4b8e-a6c2-5d7f9e1b3c11,100877,Borealis Trading
        9C4E2A7B-1F3D-4B8E-A6C2-5D7F9E1B3C12,100877,Borealis Trading
        5a1d3e9f-2b7c-4d6a-8e1f-3c5b7d9a2e21,101402,"Cortex Quant, LLC"
        5a1d3e9f-2b7c-4d6a-8e1f-3c5b7d9a2e22,101402,"Cortex Quant, LLC"
        7e6f5d4c-3b2a-4190-8f7e-6d5c4b3a2f31,102055,Delta Hedge Partners
        2d4f6a8c-0e1b-4c3d-9e5f-7a9b1c3d5e41,102733,"=HYPERLINK(""http://example.com"")"
        8b0d2f4a-6c8e-4a1b-9d3f-5e7a9c1b3d51,103118,Équipe Ōsaka 東京
        4c6e8a0b-2d4f-4e6a-8c0b-2d4f6a8c0e61,103664,
        1a3c5e7f-9b1d-4f3a-8c5e-7f9b1d3f5a71,104290,Fenwick Markets
        6f8a0c2e-4b6d-4a8c-9e0b-2c4e6a8c0e81,104290,Fenwick Markets (dormant)

        """
    /// A key of the list that the demo's sandbox holds no data for, so the report shows `missing` days.
    static let dormantKey = "6f8a0c2e-4b6d-4a8c-9e0b-2c4e6a8c0e81"
}
